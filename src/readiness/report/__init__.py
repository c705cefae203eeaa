"""Renderers: Rich tables, JSON dicts, CSV and Markdown."""

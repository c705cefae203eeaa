"""The JSON Schemas of the two file formats, and validators generated from them."""

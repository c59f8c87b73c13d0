"""Collections: what a donor gives in one pickup, and the manifest that lists it."""

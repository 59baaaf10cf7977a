"""Reads for the workspace: each selector asks the signed-in user's store and returns plain data for a template."""

"""The notebooks papermill runs; shipped as package data (see pyproject.toml)."""

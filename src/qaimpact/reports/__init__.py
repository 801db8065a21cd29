"""Renderers: turn findings and results (plain data) into text, JSON and documents."""

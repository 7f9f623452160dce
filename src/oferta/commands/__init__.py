"""Typer sub-commands that need no Django (batch work on files): diagnose, synth."""

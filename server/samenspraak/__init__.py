"""Samenspraak: live dialogue in neighbourhoods."""

__version__ = "0.1.0"

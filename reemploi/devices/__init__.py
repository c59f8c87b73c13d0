"""Devices: identity, codes, lifecycle and history."""

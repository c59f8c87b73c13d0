"""Spare parts: bought new or harvested by dismantling, taken by repairs."""

"""Recycling lots (DEEE) handed to an eco-organism."""

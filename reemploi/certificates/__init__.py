"""Erasure certificates and attestations de prise en charge, with their public check."""

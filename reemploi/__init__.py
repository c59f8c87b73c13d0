"""reemploi: follow every donated device from collection to its solidarity sale or its exit."""

__version__ = "0.1.0"

"""What kind of equipment a device is; the figures attached to each kind live in reemploi/rules."""

from enum import StrEnum


class Category(StrEnum):
    LAPTOP = "laptop"
    DESKTOP = "desktop"
    ALL_IN_ONE = "all_in_one"
    SCREEN = "screen"
    TABLET = "tablet"
    SMARTPHONE = "smartphone"
    PRINTER = "printer"
    MULTIFUNCTION_PRINTER = "multifunction_printer"
    PERIPHERAL = "peripheral"
    NETWORK = "network"
    OTHER = "other"

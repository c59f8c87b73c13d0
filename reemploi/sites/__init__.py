"""Sites: the workshops of one organisation, each with its own device-code sequence."""

"""The control plane under /_xmock/: setup, clock, journal. Apart from the X surface."""

"""One module per format; each registers itself with :mod:`publist.registry`."""

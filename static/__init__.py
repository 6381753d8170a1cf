"""The built widget bundle, `dist/`: written by package_builder.py, only read by the server.

A package of its own so that the bundle travels as package data (`crumb.static`) in every wheel.
"""

"""Imported by tests/pool_main_probe.py only: in a worker, its presence says the probe (the
caller's main module) was run there again."""

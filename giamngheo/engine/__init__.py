"""The classification engine: poverty standards as data, evaluated one household at a time (with an explanation)
or for millions at once (vectorised with Polars). Framework-free: nothing here imports Django."""

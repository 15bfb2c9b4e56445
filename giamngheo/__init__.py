"""giamngheo: an information system for Vietnam's national programme for sustainable poverty reduction."""

__version__ = "0.1.0"

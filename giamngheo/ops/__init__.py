"""Operations: request ids and structured logs, backup and restore of the database and uploaded files."""

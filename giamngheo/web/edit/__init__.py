"""Forms to create and edit households, members, living conditions and assessments; live classification."""

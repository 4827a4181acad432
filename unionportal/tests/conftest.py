"""Fixtures shared by the project-wide matrix tests (access, personal data, no English)."""

from .test_access_matrix import reform  # noqa: F401  (the reform roles of the access matrix)

"""Reviewer marks, scoring and the multi-criteria ranking methods."""

"""Duplicate files: detection by fingerprint and perceptual hash, the review of groups, its admin and subscribers."""

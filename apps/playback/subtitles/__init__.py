"""Subtitles: text tracks as WebVTT, bitmap tracks read as pictures, and burning either into the picture."""

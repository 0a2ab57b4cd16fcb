"""The console's access pages: grants matrices, typed role settings and user overrides, view as a user."""

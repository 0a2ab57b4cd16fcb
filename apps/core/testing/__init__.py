"""The test kit: what the tests of every app share (people, clients, catalogues, media, stand-in servers, workers).

Not collected as tests; it imports every app by nature, so the import-graph test exempts it.
"""

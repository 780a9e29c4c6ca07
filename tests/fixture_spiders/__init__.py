"""Fixture outlets: spiders of sites that exist only in the tests, for behaviours that no bundled
outlet shows on its own (a listing filled by script). Enabled with
`-s SPIDER_MODULES=spiders,tests.fixture_spiders`."""

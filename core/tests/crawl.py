"""Crawl providers for parameters that the core pages use (none so far)."""

PARAMS: dict = {}

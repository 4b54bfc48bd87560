"""Crawl providers for parameters that the shell's pages use (none so far)."""

PARAMS: dict = {}

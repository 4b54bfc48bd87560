from concerns.tests.conftest import category, new_concern

__all__ = ["category", "new_concern"]

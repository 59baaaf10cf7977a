from tests.cds.fixtures import kaari

__all__ = ["kaari"]

import os

os.environ.setdefault("KAARI_ENV", "test")

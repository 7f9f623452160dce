"""Django settings packages: base (shared), test and production."""

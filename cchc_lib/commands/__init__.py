"""Sub-commands of ``cchc``: one module each, with ``register(subparsers)``."""

"""koppel: walks an admin through linking AccountView with Visma.net services and AutoReport."""

__version__ = "0.1.0"

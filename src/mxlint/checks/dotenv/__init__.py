"""Rules over `.env` files (sources.dotenv)."""

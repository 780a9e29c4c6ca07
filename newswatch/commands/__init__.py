"""newswatch's own `scrapy` commands (COMMANDS_MODULE = "newswatch.commands")."""

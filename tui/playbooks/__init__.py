"""Built-in playbooks as data files (TOML); loaded by tui.playbook.loader."""

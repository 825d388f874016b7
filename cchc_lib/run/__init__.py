"""Running reports: parameters files, notebook engines, the runner."""

"""Data schemas of every event, one module per producing service.

Importing this package registers them all (each module is imported below by discovery),
so adding a producer's contracts is adding a module here; see ARCHITECTURE.md section 2.
"""
import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

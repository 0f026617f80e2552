"""Configuration classes, one module per environment.

`SHOP_CONFIG` picks the class (development by default); every setting can then be overridden
from the environment with the `SHOP_` prefix (see `shop.create_app`).
"""

CONFIGS = {
    "development": "config.development.DevelopmentConfig",
    "testing": "config.testing.TestingConfig",
    "production": "config.production.ProductionConfig",
}

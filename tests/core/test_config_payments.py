"""Production refuses half a YooKassa configuration and a tax system code YooKassa does not
know (issue 17): with only one of the shop id and the secret key, YooKassa would stay off
without a word."""

import pytest

from config.production import ConfigError
from shop import create_app
from tests.core.test_config import _limiter_left_as_found, prod_env  # noqa: F401 - fixtures


@pytest.mark.parametrize("variable", ["SHOP_YOOKASSA_SHOP_ID", "SHOP_YOOKASSA_SECRET_KEY"])
def test_production_refuses_half_a_yookassa_configuration(prod_env, variable):  # noqa: F811
    prod_env.setenv(variable, "123456")
    with pytest.raises(ConfigError, match="must be set together"):
        create_app("production")


def test_production_starts_with_both_or_neither(prod_env):  # noqa: F811
    assert create_app("production").config["YOOKASSA_SHOP_ID"] is None
    prod_env.setenv("SHOP_YOOKASSA_SHOP_ID", "123456")
    prod_env.setenv("SHOP_YOOKASSA_SECRET_KEY", "live_secret")
    prod_env.setenv("SHOP_TAX_SYSTEM_CODE", "2")
    app = create_app("production")
    assert app.config["YOOKASSA_SHOP_ID"] == 123456 and app.config["TAX_SYSTEM_CODE"] == 2


@pytest.mark.parametrize("value", ["0", "7", '"osn"'])
def test_production_refuses_an_unknown_tax_system_code(prod_env, value):  # noqa: F811
    prod_env.setenv("SHOP_TAX_SYSTEM_CODE", value)
    with pytest.raises(ConfigError, match="SHOP_TAX_SYSTEM_CODE"):
        create_app("production")

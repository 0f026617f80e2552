"""Cart: guest and user carts kept in the database, and the services that change them."""

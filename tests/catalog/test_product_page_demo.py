"""The demo catalogue's pictures per colour (issue 18.2): each colour of a product has its own
pictures, drawn in that colour and marked with it (ProductImage.colour), and the product page
shows every colour two to four of them."""

from types import SimpleNamespace

from shop.catalog.picker import gallery
from shop.cli.demo import picture_colour, picture_plan
from shop.cli.demo_catalogue import PRODUCTS


def images_of(item):
    return [
        SimpleNamespace(shot=shot, colour=picture_colour(item, shot, colour), drawn_in=colour)
        for shot, colour in picture_plan(item)
    ]


def test_every_colour_shows_two_to_four_pictures_of_its_own_colour():
    for item in PRODUCTS:
        images = images_of(item)
        colours = item.get("colours") or (None,)
        # the card's picture is the product itself, in its first colour
        assert (images[0].shot, images[0].drawn_in) == ("front", colours[0]), item["en"]
        for colour in colours:
            shown = [image for image, visible in gallery(images, colour) if visible]
            assert 2 <= len(shown) <= 4, (item["en"], colour, len(shown))
            assert shown[0].shot == "front" and shown[0].drawn_in == colour, item["en"]
            # a picture marked with a colour is drawn in it; the lineup belongs to none
            for image in shown:
                assert image.colour in (colour, None)
                if image.colour:
                    assert image.drawn_in == image.colour
                else:
                    assert image.shot == "lineup" or colour is None


def test_several_colours_get_a_lineup_of_them_all():
    for item in PRODUCTS:
        shots = [shot for shot, _ in picture_plan(item)]
        assert ("lineup" in shots) == (len(item.get("colours") or ()) > 1), item["en"]

from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "giamngheo.reviews"
    label = "reviews"

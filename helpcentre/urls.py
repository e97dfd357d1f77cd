from django.urls import path

from . import views

app_name = "help"
urlpatterns = [
    path("", views.home, name="home"),
    path("dealers/", views.dealer_finder, name="dealers"),
    path("help/", views.index, name="index"),
    path("help/search/", views.search, name="search"),
    path("help/<slug:category>/", views.category, name="category"),
    path("help/<slug:category>/<slug:article>/", views.article, name="article"),
]

"""The Qt front end. Talks to services only; never to the database."""

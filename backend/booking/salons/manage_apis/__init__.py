"""The salon management API, one module per resource: owners change their salons, staff
members read them. Routes are in `booking.salons.manage_urls`."""

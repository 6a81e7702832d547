"""The chemical elements, for the chemistry templates: symbols in atomic-number order."""

from __future__ import annotations

_TABLE = """
H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As
Se Br Kr Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu
Gd Tb Dy Ho Er Tm Yb Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np
Pu Am Cm Bk Cf Es Fm Md No Lr Rf Db Sg Bh Hs Mt Ds Rg Cn Nh Fl Mc Lv Ts Og
"""
SYMBOLS: tuple[str, ...] = tuple(_TABLE.split())

# The first 20 elements (hydrogen to calcium), whose electrons fill shells of 2, 8, 8 in the
# school model: name, and the mass number of the most common isotope.
FIRST_TWENTY: tuple[tuple[str, int], ...] = (
    ("hydrogen", 1),
    ("helium", 4),
    ("lithium", 7),
    ("beryllium", 9),
    ("boron", 11),
    ("carbon", 12),
    ("nitrogen", 14),
    ("oxygen", 16),
    ("fluorine", 19),
    ("neon", 20),
    ("sodium", 23),
    ("magnesium", 24),
    ("aluminium", 27),
    ("silicon", 28),
    ("phosphorus", 31),
    ("sulfur", 32),
    ("chlorine", 35),
    ("argon", 40),
    ("potassium", 39),
    ("calcium", 40),
)

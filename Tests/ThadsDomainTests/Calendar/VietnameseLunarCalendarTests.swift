import Testing
import ThadsDomain

/// Reference data for the Vietnamese lunar calendar (UTC+7).
///
/// Independent source: the tables below were produced outside this code base with PyEphem 4.2.1
/// (libastro: high-precision lunar and solar theories, its own ΔT), applying the calendar rules at
/// UTC+7 — new moon day, month 11 holding the December solstice, first month without a major solar
/// term is the leap month, terms tested between local midnights. The same script run at UTC+8
/// reproduces the Chinese calendar of the `lunardate` 0.3.0 package (Hong Kong Observatory
/// tables) for 2467 of its 2473 months 1900–2099 (the 6 others: 1914–1920, when China used
/// Beijing local mean time, and three new moons within minutes of midnight), which validates the
/// method. Our Swift implementation (Meeus's formulas) agrees with the PyEphem table on all 2487
/// month starts 1900–2100 except one: the new moon of 8 July 1967 at 00:00:03 (UTC+7) by PyEphem,
/// a few seconds before midnight by Meeus — 1967 is before Vietnam adopted UTC+7 for its calendar.
///
/// Vietnamese and Chinese (UTC+8) Tết differ in 1903, 1935, 1965, 1968, 1969, 1985, 2007, 2030 and
/// 2053; e.g. 1985: VN 21/01/1985 vs CN 20/02/1985 (VN had leap month 2 of 1985, CN leap 10 of
/// 1984), 2007: VN 17/02 vs CN 18/02, 2030: VN 02/02 vs CN 03/02. The VN values are the widely
/// published ones (1985 and 2007 are the textbook cases).
enum LunarReference {
    /// Mùng 1 Tết, "MM-dd", by lunar year.
    static let tet: [Int: String] = [
        1900: "01-31", 1901: "02-19", 1902: "02-08", 1903: "01-28", 1904: "02-16", 1905: "02-04",
        1906: "01-25", 1907: "02-13", 1908: "02-02", 1909: "01-22", 1910: "02-10", 1911: "01-30",
        1912: "02-18", 1913: "02-06", 1914: "01-26", 1915: "02-14", 1916: "02-03", 1917: "01-23",
        1918: "02-11", 1919: "02-01", 1920: "02-20", 1921: "02-08", 1922: "01-28", 1923: "02-16",
        1924: "02-05", 1925: "01-24", 1926: "02-13", 1927: "02-02", 1928: "01-23", 1929: "02-10",
        1930: "01-30", 1931: "02-17", 1932: "02-06", 1933: "01-26", 1934: "02-14", 1935: "02-03",
        1936: "01-24", 1937: "02-11", 1938: "01-31", 1939: "02-19", 1940: "02-08", 1941: "01-27",
        1942: "02-15", 1943: "02-05", 1944: "01-25", 1945: "02-13", 1946: "02-02", 1947: "01-22",
        1948: "02-10", 1949: "01-29", 1950: "02-17", 1951: "02-06", 1952: "01-27", 1953: "02-14",
        1954: "02-03", 1955: "01-24", 1956: "02-12", 1957: "01-31", 1958: "02-18", 1959: "02-08",
        1960: "01-28", 1961: "02-15", 1962: "02-05", 1963: "01-25", 1964: "02-13", 1965: "02-01",
        1966: "01-21", 1967: "02-09", 1968: "01-29", 1969: "02-16", 1970: "02-06", 1971: "01-27",
        1972: "02-15", 1973: "02-03", 1974: "01-23", 1975: "02-11", 1976: "01-31", 1977: "02-18",
        1978: "02-07", 1979: "01-28", 1980: "02-16", 1981: "02-05", 1982: "01-25", 1983: "02-13",
        1984: "02-02", 1985: "01-21", 1986: "02-09", 1987: "01-29", 1988: "02-17", 1989: "02-06",
        1990: "01-27", 1991: "02-15", 1992: "02-04", 1993: "01-23", 1994: "02-10", 1995: "01-31",
        1996: "02-19", 1997: "02-07", 1998: "01-28", 1999: "02-16", 2000: "02-05", 2001: "01-24",
        2002: "02-12", 2003: "02-01", 2004: "01-22", 2005: "02-09", 2006: "01-29", 2007: "02-17",
        2008: "02-07", 2009: "01-26", 2010: "02-14", 2011: "02-03", 2012: "01-23", 2013: "02-10",
        2014: "01-31", 2015: "02-19", 2016: "02-08", 2017: "01-28", 2018: "02-16", 2019: "02-05",
        2020: "01-25", 2021: "02-12", 2022: "02-01", 2023: "01-22", 2024: "02-10", 2025: "01-29",
        2026: "02-17", 2027: "02-06", 2028: "01-26", 2029: "02-13", 2030: "02-02", 2031: "01-23",
        2032: "02-11", 2033: "01-31", 2034: "02-19", 2035: "02-08", 2036: "01-28", 2037: "02-15",
        2038: "02-04", 2039: "01-24", 2040: "02-12", 2041: "02-01", 2042: "01-22", 2043: "02-10",
        2044: "01-30", 2045: "02-17", 2046: "02-06", 2047: "01-26", 2048: "02-14", 2049: "02-02",
        2050: "01-23", 2051: "02-11", 2052: "02-01", 2053: "02-18", 2054: "02-08", 2055: "01-28",
        2056: "02-15", 2057: "02-04", 2058: "01-24", 2059: "02-12", 2060: "02-02", 2061: "01-21",
        2062: "02-09", 2063: "01-29", 2064: "02-17", 2065: "02-05", 2066: "01-26", 2067: "02-14",
        2068: "02-03", 2069: "01-23", 2070: "02-11", 2071: "01-31", 2072: "02-19", 2073: "02-07",
        2074: "01-27", 2075: "02-15", 2076: "02-05", 2077: "01-24", 2078: "02-12", 2079: "02-02",
        2080: "01-22", 2081: "02-09", 2082: "01-29", 2083: "02-17", 2084: "02-06", 2085: "01-26",
        2086: "02-14", 2087: "02-03", 2088: "01-24", 2089: "02-10", 2090: "01-30", 2091: "02-18",
        2092: "02-07", 2093: "01-27", 2094: "02-15", 2095: "02-05", 2096: "01-25", 2097: "02-12",
        2098: "02-01", 2099: "01-21", 2100: "02-09",
    ]

    /// Leap month of each lunar year 1900–2100 that has one.
    static let leapMonths: [Int: Int] = [
        1900: 8, 1903: 5, 1906: 4, 1909: 2, 1911: 6, 1914: 5, 1917: 3, 1919: 7, 1922: 6, 1925: 4,
        1928: 2, 1930: 6, 1933: 5, 1936: 3, 1938: 8, 1941: 6, 1944: 4, 1947: 2, 1949: 7, 1952: 5,
        1955: 3, 1957: 8, 1960: 6, 1963: 4, 1966: 3, 1968: 7, 1971: 5, 1974: 4, 1976: 8, 1979: 6,
        1982: 4, 1985: 2, 1987: 7, 1990: 5, 1993: 3, 1995: 8, 1998: 5, 2001: 4, 2004: 2, 2006: 7,
        2009: 5, 2012: 4, 2014: 9, 2017: 6, 2020: 4, 2023: 2, 2025: 6, 2028: 5, 2031: 3, 2033: 11,
        2036: 6, 2039: 5, 2042: 2, 2044: 7, 2047: 5, 2050: 3, 2052: 8, 2055: 6, 2058: 4, 2061: 3,
        2063: 7, 2066: 5, 2069: 4, 2071: 8, 2074: 6, 2077: 4, 2080: 3, 2082: 7, 2085: 5, 2088: 4,
        2090: 8, 2093: 6, 2096: 4, 2099: 2,
    ]
}

@Suite("Vietnamese lunar calendar")
struct VietnameseLunarCalendarTests {
    @Test("Tết 1900–2100 matches the reference table")
    func tetTable() {
        for year in 1900...2100 {
            let expected = isoDate("\(year)-\(LunarReference.tet[year]!)")
            #expect(VietnameseLunarCalendar.newYear(of: year) == expected, "Tết \(year)")
            #expect(
                VietnameseLunarCalendar.lunarDate(for: expected)
                    == LunarDate(year: year, month: 1, day: 1))
            #expect(
                VietnameseLunarCalendar.solarDate(for: LunarDate(year: year, month: 1, day: 1))
                    == expected)
            let eve = VietnameseLunarCalendar.lunarDate(for: expected.adding(days: -1))
            #expect(eve.year == year - 1 && eve.month == 12 && (eve.day == 29 || eve.day == 30))
            #expect(VietnameseLunarCalendar.lastDay(of: year - 1) == expected.adding(days: -1))
        }
    }

    @Test(
        "years where the Vietnamese and Chinese new year differ",
        arguments: [
            (1968, "1968-01-29"), (1985, "1985-01-21"), (2007, "2007-02-17"), (2030, "2030-02-02"),
            (2053, "2053-02-18"),
        ])
    func vietnamDiffersFromChina(year: Int, iso: String) {
        #expect(VietnameseLunarCalendar.newYear(of: year) == isoDate(iso))
    }

    @Test("recent and coming Tết dates")
    func recentTet() {
        #expect(VietnameseLunarCalendar.newYear(of: 2024) == isoDate("2024-02-10"))
        #expect(VietnameseLunarCalendar.newYear(of: 2025) == isoDate("2025-01-29"))
        #expect(VietnameseLunarCalendar.newYear(of: 2026) == isoDate("2026-02-17"))
        #expect(VietnameseLunarCalendar.newYear(of: 2027) == isoDate("2027-02-06"))
        #expect(VietnameseLunarCalendar.newYear(of: 2028) == isoDate("2028-01-26"))
    }

    @Test("leap months 1900–2100 match the reference table")
    func leapMonths() {
        for year in 1900...2100 {
            #expect(
                VietnameseLunarCalendar.leapMonth(in: year) == LunarReference.leapMonths[year],
                "\(year)")
        }
        #expect(VietnameseLunarCalendar.leapMonth(in: 2020) == 4)
        #expect(VietnameseLunarCalendar.leapMonth(in: 2023) == 2)
        #expect(VietnameseLunarCalendar.leapMonth(in: 2025) == 6)
        #expect(VietnameseLunarCalendar.leapMonth(in: 2026) == nil)
        #expect(VietnameseLunarCalendar.leapMonth(in: 1985) == 2)
        #expect(VietnameseLunarCalendar.leapMonth(in: 2033) == 11)
    }

    @Test("leap months convert both ways")
    func leapMonthDates() {
        // 2025: leap 6th month begins 25/07/2025, after the regular 6th month (25/06/2025).
        #expect(
            VietnameseLunarCalendar.solarDate(for: LunarDate(year: 2025, month: 6, day: 1))
                == isoDate("2025-06-25"))
        #expect(
            VietnameseLunarCalendar.solarDate(
                for: LunarDate(year: 2025, month: 6, day: 1, isLeapMonth: true))
                == isoDate("2025-07-25"))
        #expect(
            VietnameseLunarCalendar.lunarDate(for: isoDate("2025-08-01"))
                == LunarDate(year: 2025, month: 6, day: 8, isLeapMonth: true))
        // 2020: leap 4th month from 23/05/2020; 2023: leap 2nd month from 22/03/2023.
        #expect(
            VietnameseLunarCalendar.lunarDate(for: isoDate("2020-05-23"))
                == LunarDate(year: 2020, month: 4, day: 1, isLeapMonth: true))
        #expect(
            VietnameseLunarCalendar.lunarDate(for: isoDate("2023-03-22"))
                == LunarDate(year: 2023, month: 2, day: 1, isLeapMonth: true))
        // 2033: leap 11th month, still in lunar year 2033.
        let leap11 = VietnameseLunarCalendar.solarDate(
            for: LunarDate(year: 2033, month: 11, day: 1, isLeapMonth: true))
        #expect(leap11 == isoDate("2033-12-22"))
        // No leap 3rd month in 2026; no 30th day of a 29-day month.
        #expect(
            VietnameseLunarCalendar.solarDate(
                for: LunarDate(year: 2026, month: 3, day: 1, isLeapMonth: true)) == nil)
        #expect(VietnameseLunarCalendar.daysInMonth(year: 2026, month: 12) == 29)
        #expect(
            VietnameseLunarCalendar.solarDate(for: LunarDate(year: 2026, month: 12, day: 30)) == nil
        )
        #expect(
            VietnameseLunarCalendar.solarDate(for: LunarDate(year: 2026, month: 13, day: 1)) == nil)
        #expect(
            VietnameseLunarCalendar.solarDate(for: LunarDate(year: 2026, month: 1, day: 0)) == nil)
    }

    @Test(
        "Hùng Kings' day (10/3 lunar)",
        arguments: [
            (2024, "2024-04-18"), (2025, "2025-04-07"), (2026, "2026-04-26"), (2027, "2027-04-16"),
            (2028, "2028-04-04"),
        ])
    func hungKings(year: Int, iso: String) {
        #expect(
            VietnameseLunarCalendar.solarDate(for: LunarDate(year: year, month: 3, day: 10))
                == isoDate(iso))
        #expect(
            VietnameseLunarCalendar.lunarDate(for: isoDate(iso))
                == LunarDate(year: year, month: 3, day: 10))
    }

    @Test("every day 1900–2100 round-trips and days run consecutively")
    func roundTrip() {
        var date = isoDate("1900-01-01")
        var previous = VietnameseLunarCalendar.lunarDate(for: date)
        #expect(previous == LunarDate(year: 1899, month: 12, day: 1))
        let end = isoDate("2100-12-31")
        var months = 0
        while date < end {
            date = date.adding(days: 1)
            let lunar = VietnameseLunarCalendar.lunarDate(for: date)
            if lunar.day == 1 {
                months += 1
                #expect(previous.day == 29 || previous.day == 30, "\(date)")
                if lunar.isLeapMonth {
                    #expect(
                        lunar.month == previous.month && lunar.year == previous.year
                            && !previous.isLeapMonth)
                } else {
                    #expect(lunar.month == previous.month % 12 + 1, "\(date)")
                    #expect(lunar.year == previous.year + (lunar.month == 1 ? 1 : 0), "\(date)")
                }
            } else {
                #expect(lunar.day == previous.day + 1 && lunar.month == previous.month, "\(date)")
                #expect(lunar.isLeapMonth == previous.isLeapMonth && lunar.year == previous.year)
            }
            if lunar.day == 1 || lunar.day >= 29 {
                #expect(VietnameseLunarCalendar.solarDate(for: lunar) == date, "\(date)")
            }
            previous = lunar
        }
        #expect(months == 2486)
    }

    @Test("year names")
    func yearNames() {
        #expect(VietnameseLunarCalendar.yearName(2026) == "Bính Ngọ")
        #expect(VietnameseLunarCalendar.yearName(2025) == "Ất Tỵ")
        #expect(VietnameseLunarCalendar.yearName(1968) == "Mậu Thân")
        #expect(VietnameseLunarCalendar.yearName(1984) == "Giáp Tý")
        #expect(LunarDate(year: 2026, month: 3, day: 10).description == "10/3 năm Bính Ngọ")
        #expect(
            LunarDate(year: 2025, month: 6, day: 1, isLeapMonth: true).description
                == "1/6 nhuận năm Ất Tỵ")
    }
}

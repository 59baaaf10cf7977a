def test_the_costliest_tenth_uses_most_of_the_costs(figures):
    assert 0.70 <= figures.lorenz[0.10] <= 0.90
    assert figures.lorenz[0.01] < figures.lorenz[0.05] < figures.lorenz[0.10] < figures.lorenz[0.50] < 1.0


def test_heavy_users_use_several_service_types_and_the_rest_about_one(figures):
    assert figures.heavy_grouped >= 3.0
    assert figures.other_grouped <= 1.5
    assert figures.heavy_types > 2 * figures.other_types


def test_costs_come_from_both_health_and_social_services(figures):
    assert figures.cost_by_service["inpatient"] > 0
    assert figures.cost_by_service["elderly-housing"] > 0
    assert figures.cost_by_service["child-welfare"] > 0

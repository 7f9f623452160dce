"""Demo catalogue: territorial entities and offers modelled on real Colombian public programs.

Everything here is demonstration data (``is_demo=True``): names and descriptions follow real
programs, but places, windows, territories and eligibility rules are illustrative, not the
entities' official conditions. Sisbén IV ranks: A1–A5 = 1–5, B1–B7 = 6–12, C1–C18 = 13–30.
"""

from __future__ import annotations

from datetime import date

from .spec import NATION, SEMESTERS_2026, DemoEntity, DemoOffer, Window

# Place names of the DIVIPOLA codes the demo uses (checked against MGN 2018).
PLACE_NAMES: dict[str, str] = {
    NATION: "Colombia",
    "27": "Chocó",
    "44": "La Guajira",
    "99": "Vichada",
    "27001": "Quibdó",
    "27025": "Alto Baudó",
    "27099": "Bojayá",
    "27361": "Istmina",
    "27615": "Riosucio",
    "44001": "Riohacha",
    "44090": "Dibulla",
    "44430": "Maicao",
    "44560": "Manaure",
    "44650": "San Juan del Cesar",
    "44847": "Uribia",
    "52835": "San Andrés de Tumaco",
    "76109": "Buenaventura",
    "99773": "Cumaribo",
    "05001": "Medellín",
    "11001": "Bogotá, D.C.",
}

TERRITORIAL_ENTITIES: tuple[DemoEntity, ...] = (
    DemoEntity(
        key="gobernacion_la_guajira",
        name="Gobernación de La Guajira",
        acronym="Gobernación de La Guajira",
        description=(
            "Administración departamental de La Guajira. Coordina con los municipios los planes "
            "de agua potable y saneamiento, la salud pública departamental y la atención a las "
            "comunidades wayuu de la Alta y Media Guajira."
        ),
        level="departmental",
        territory_code="44",
        website="https://www.laguajira.gov.co",
        legal_status="Entidad territorial del orden departamental",
    ),
    DemoEntity(
        key="gobernacion_choco",
        name="Gobernación del Chocó",
        acronym="Gobernación del Chocó",
        description=(
            "Administración departamental del Chocó. Gestiona proyectos de saneamiento básico, "
            "educación y salud en coordinación con los municipios y los consejos comunitarios y "
            "cabildos del departamento."
        ),
        level="departmental",
        territory_code="27",
        website="https://www.choco.gov.co",
        legal_status="Entidad territorial del orden departamental",
    ),
    DemoEntity(
        key="alcaldia_uribia",
        name="Alcaldía de Uribia",
        acronym="Alcaldía de Uribia",
        description=(
            "Administración municipal de Uribia (La Guajira), el municipio con mayor incidencia de "
            "pobreza multidimensional del censo 2018. Ejecuta programas de vivienda, agua y "
            "seguridad alimentaria en rancherías de la Alta Guajira."
        ),
        level="municipal",
        territory_code="44847",
        legal_status="Entidad territorial del orden municipal",
    ),
    DemoEntity(
        key="alcaldia_quibdo",
        name="Alcaldía de Quibdó",
        acronym="Alcaldía de Quibdó",
        description=(
            "Administración municipal de Quibdó, capital del Chocó. Desarrolla programas "
            "sociales de vivienda, empleo, adulto mayor y juventud en la zona urbana y en los "
            "corregimientos ribereños del Atrato."
        ),
        level="municipal",
        territory_code="27001",
        legal_status="Entidad territorial del orden municipal",
    ),
    DemoEntity(
        key="alcaldia_riohacha",
        name="Alcaldía de Riohacha",
        acronym="Alcaldía de Riohacha",
        description=(
            "Administración distrital de Riohacha, capital de La Guajira. Coordina la atención "
            "social a población vulnerable, migrante y wayuu en la cabecera y la zona rural."
        ),
        level="municipal",
        territory_code="44001",
        legal_status="Entidad territorial del orden municipal",
    ),
)

# Documents that many offers ask for.
DOC_ID = "Documento de identidad del solicitante (cédula de ciudadanía o tarjeta de identidad)"
DOC_ID_MEMBERS = "Documentos de identidad de los integrantes del hogar"
DOC_BIRTH = "Registro civil de nacimiento de las niñas y los niños"
DOC_SISBEN = "Consulta del grupo Sisbén IV (se verifica en línea)"
DOC_ADDRESS = "Recibo de servicio público o certificado de residencia expedido por la alcaldía"
DOC_SCHOOL = "Certificado de estudios del último grado aprobado"
DOC_RUV = "Inscripción en el Registro Único de Víctimas (se verifica en línea)"
DOC_PROPERTY = "Documento que acredite la posesión o tenencia del predio"

PDET_DEMO = ("27361", "27615", "27099", "44090", "44650", "52835", "76109")

Q1 = (date(2026, 1, 1), date(2026, 3, 31))

OFFERS: tuple[DemoOffer, ...] = (
    # ------------------------------------------------------------------ SENA
    DemoOffer(
        key="sena_formacion_titulada",
        organization="sena",
        name="Formación titulada técnica y tecnológica",
        description=(
            "Programas de formación técnica laboral y tecnológica gratuitos, presenciales y "
            "virtuales, con etapa lectiva y etapa productiva (contrato de aprendizaje o "
            "pasantía). Los jóvenes de hogares acompañados por Prosperidad Social tienen acceso "
            "preferente en las convocatorias de los centros de formación."
        ),
        indicators=("low_educational_attainment", "long_term_unemployment", "informal_work"),
        populations=("juventud", "adultez"),
        approaches=("victimas", "discapacidad", "etnico_indigena", "etnico_narp"),
        channels=("presencial", "virtual"),
        scope="person",
        minimum_age=16,
        rule="person.age >= 16 && person.years_of_schooling >= 9 && sisben_rank <= 30",
        rule_description=(
            "Personas de 16 años o más con noveno grado aprobado, de hogares en los grupos A, B o "
            "C del Sisbén IV."
        ),
        legal_basis="Ley 119 de 1994 (reestructuración del SENA).",
        application_process=(
            "Inscribirse en el portal de ofertas educativas del SENA durante la convocatoria, "
            "presentar la prueba de aptitudes y confirmar la matrícula en el centro de formación."
        ),
        documents=(DOC_ID, DOC_SCHOOL),
        areas=(NATION,),
        places={"44": 900, "27": 700, "44847": 120, "27001": 250, "11001": 3000},
        periods=SEMESTERS_2026,
        windows=(
            Window(date(2026, 1, 13), date(2026, 2, 6), description="Convocatoria primer semestre"),
            Window(
                date(2026, 6, 1), date(2026, 6, 26), description="Convocatoria segundo semestre"
            ),
        ),
    ),
    DemoOffer(
        key="sena_formacion_complementaria",
        organization="sena",
        name="Formación complementaria en oficios y habilidades",
        description=(
            "Cursos cortos gratuitos (40 a 440 horas) en oficios, habilidades digitales, "
            "bilingüismo y emprendimiento, presenciales en el territorio o virtuales. En ferias "
            "de servicio se hace inscripción directa a cursos programados en el municipio."
        ),
        indicators=("low_educational_attainment", "informal_work"),
        populations=("juventud", "adultez", "mujeres"),
        approaches=("genero", "campesino", "discapacidad"),
        channels=("presencial", "virtual", "feria"),
        scope="person",
        minimum_age=15,
        rule="person.age >= 15 && sisben_rank <= 30",
        rule_description=(
            "Personas de 15 años o más de hogares en los grupos A, B o C del Sisbén IV."
        ),
        legal_basis="Ley 119 de 1994.",
        application_process=(
            "Inscribirse en el curso en el portal del SENA o con el instructor en la feria o el "
            "punto de atención del municipio."
        ),
        documents=(DOC_ID,),
        areas=(NATION,),
        places={"44": 2500, "27": 2000, "44847": 400, "44560": 250, "27001": 600, "99773": 150},
        periods=SEMESTERS_2026,
    ),
    DemoOffer(
        key="sena_agencia_publica_empleo",
        organization="sena",
        name="Agencia Pública de Empleo: orientación e intermediación laboral",
        description=(
            "Registro de hoja de vida, orientación ocupacional, talleres de búsqueda de empleo y "
            "remisión a vacantes de empresas registradas en el Servicio Público de Empleo. "
            "Incluye rutas para jóvenes sin experiencia y personas con discapacidad."
        ),
        indicators=("long_term_unemployment", "informal_work"),
        populations=("juventud", "adultez"),
        approaches=("discapacidad", "victimas", "genero"),
        channels=("presencial", "virtual", "feria"),
        scope="person",
        minimum_age=18,
        rule=(
            'person.age >= 18 && (person.activity == "unemployed" || '
            '(person.activity == "employed" && !person.contributes_to_pension))'
        ),
        rule_description=(
            "Personas de 18 años o más desempleadas, u ocupadas sin cotizar a pensión (empleo "
            "informal)."
        ),
        legal_basis="Ley 1636 de 2013 (Servicio Público de Empleo).",
        application_process=(
            "Registrar la hoja de vida en el portal de la Agencia Pública de Empleo del SENA o en "
            "la oficina del centro de formación, y asistir a la orientación ocupacional."
        ),
        documents=(DOC_ID,),
        areas=(NATION,),
        places={"44": 1500, "27": 1200, "44001": 500, "27001": 450},
    ),
    DemoOffer(
        key="sena_fondo_emprender",
        organization="sena",
        name="Fondo Emprender: capital semilla para planes de negocio",
        description=(
            "Recursos de capital semilla condonables para crear empresas formales a partir de "
            "planes de negocio de aprendices, egresados y población priorizada, con asesoría "
            "técnica de los centros de formación durante la puesta en marcha."
        ),
        indicators=("informal_work", "long_term_unemployment"),
        populations=("juventud", "adultez", "unidades_productivas"),
        approaches=("victimas", "genero", "etnico_narp"),
        channels=("presencial", "virtual"),
        scope="person",
        minimum_age=18,
        rule="person.age >= 18 && person.years_of_schooling >= 11 && sisben_rank <= 30",
        rule_description=(
            "Personas mayores de edad con bachillerato, de hogares en los grupos A, B o C del "
            "Sisbén IV, con un plan de negocio formulado con el SENA."
        ),
        legal_basis="Ley 789 de 2002, artículo 40 (creación del Fondo Emprender).",
        application_process=(
            "Formular el plan de negocio con un asesor SENA y presentarlo en la plataforma del "
            "Fondo Emprender durante la convocatoria."
        ),
        documents=(DOC_ID, DOC_SCHOOL, "Plan de negocio avalado por el centro de formación"),
        areas=(NATION,),
        places={"44": 30, "27": 25},
        windows=(Window(date(2026, 3, 2), date(2026, 4, 30), description="Convocatoria nacional"),),
    ),
    DemoOffer(
        key="sena_certificacion_competencias",
        organization="sena",
        name="Evaluación y certificación de competencias laborales",
        description=(
            "Reconoce formalmente los conocimientos de trabajadores con experiencia sin título "
            "(construcción, cocina, belleza, oficios agropecuarios, entre otros), mediante "
            "evaluación y certificación gratuita, para mejorar su empleabilidad."
        ),
        indicators=("informal_work",),
        populations=("adultez",),
        approaches=("genero", "campesino"),
        channels=("presencial", "feria"),
        scope="person",
        minimum_age=18,
        rule='person.age >= 18 && person.activity == "employed" && !person.contributes_to_pension',
        rule_description="Personas mayores de edad ocupadas sin cotizar a pensión.",
        legal_basis="Ley 119 de 1994.",
        application_process=(
            "Inscribirse en el proceso de certificación del centro de formación, presentar la "
            "evidencia de experiencia y asistir a la evaluación."
        ),
        documents=(DOC_ID, "Certificación o declaración de experiencia en el oficio"),
        areas=("44", "27"),
        places={"44": 300, "27": 250},
        status="inactive",
        alert="Sin convocatoria abierta en 2026 en los departamentos de la demostración.",
    ),
    # ------------------------------------------------------------------ ICBF
    DemoOffer(
        key="icbf_desarrollo_infantil_medio_familiar",
        organization="icbf",
        name="Desarrollo Infantil en Medio Familiar (DIMF)",
        description=(
            "Educación inicial para niñas y niños de 0 a 5 años y mujeres gestantes en sus "
            "hogares y en encuentros grupales, con acompañamiento pedagógico, nutricional y "
            "psicosocial. Modalidad preferente en zonas rurales dispersas y comunidades étnicas."
        ),
        indicators=("early_childhood_barriers",),
        populations=("primera_infancia", "hogares"),
        approaches=("etnico_indigena", "etnico_narp", "campesino", "curso_de_vida"),
        channels=("presencial",),
        rule="members.exists(m, m.age <= 5) && sisben_rank <= 30",
        rule_description=(
            "Hogares con niñas o niños de 0 a 5 años en los grupos A, B o C del Sisbén IV."
        ),
        legal_basis=(
            "Ley 1804 de 2016 (Política de Estado para el Desarrollo Integral de la Primera "
            "Infancia de Cero a Siempre)."
        ),
        application_process=(
            "Solicitar el cupo en el centro zonal del ICBF o con la unidad de servicio de la "
            "modalidad en el municipio; el ICBF verifica la focalización."
        ),
        documents=(DOC_BIRTH, DOC_ID_MEMBERS, "Carné de vacunación y de crecimiento y desarrollo"),
        areas=("44", "27", "99773"),
        places={"44": 6000, "27": 4500, "44847": 1800, "44560": 700, "99773": 600},
    ),
    DemoOffer(
        key="icbf_cdi",
        organization="icbf",
        name="Centros de Desarrollo Infantil (CDI)",
        description=(
            "Atención integral en modalidad institucional para niñas y niños de 2 a 5 años: "
            "educación inicial, alimentación de hasta el 70 % de sus requerimientos diarios, "
            "seguimiento nutricional y trabajo con las familias, en jornada de ocho horas."
        ),
        indicators=("early_childhood_barriers",),
        populations=("primera_infancia",),
        approaches=("curso_de_vida", "discapacidad"),
        channels=("presencial",),
        rule="members.exists(m, m.age >= 2 && m.age <= 5) && sisben_rank <= 30",
        rule_description=(
            "Hogares con niñas o niños de 2 a 5 años en los grupos A, B o C del Sisbén IV."
        ),
        legal_basis="Ley 1804 de 2016.",
        application_process=(
            "Inscribir a la niña o el niño en el CDI más cercano o en el centro zonal del ICBF."
        ),
        documents=(DOC_BIRTH, "Certificado de afiliación a salud", "Carné de vacunación"),
        areas=("44001", "44430", "27001", "05001", "11001"),
        places={"44001": 600, "44430": 450, "27001": 500, "05001": 2500, "11001": 4000},
    ),
    DemoOffer(
        key="icbf_hogares_comunitarios",
        organization="icbf",
        name="Hogares Comunitarios de Bienestar",
        description=(
            "Atención a niñas y niños en primera infancia por madres y padres comunitarios en "
            "sus viviendas o en espacios comunitarios, con componente de educación inicial, "
            "alimentación y vigilancia nutricional."
        ),
        indicators=("early_childhood_barriers",),
        populations=("primera_infancia",),
        approaches=("curso_de_vida",),
        channels=("presencial",),
        rule="members.exists(m, m.age <= 5) && sisben_rank <= 30",
        rule_description=(
            "Hogares con niñas o niños de 0 a 5 años en los grupos A, B o C del Sisbén IV."
        ),
        legal_basis="Ley 1804 de 2016.",
        application_process=(
            "Solicitar el cupo directamente en el hogar comunitario o el centro zonal."
        ),
        documents=(DOC_BIRTH, "Carné de vacunación"),
        areas=(NATION,),
        places={"44": 3500, "27": 2800, "52835": 900, "76109": 1100},
    ),
    DemoOffer(
        key="icbf_mil_dias",
        organization="icbf",
        name=(
            "1.000 Días para Cambiar el Mundo: atención nutricional a gestantes y menores de 2 años"
        ),
        description=(
            "Complementación alimentaria, educación nutricional y seguimiento al estado "
            "nutricional de mujeres gestantes, madres lactantes y niñas y niños menores de dos "
            "años, con pertinencia cultural en comunidades indígenas."
        ),
        indicators=("early_childhood_barriers", "extreme_monetary_poverty"),
        populations=("primera_infancia", "mujeres"),
        approaches=("etnico_indigena", "genero"),
        channels=("presencial",),
        rule=(
            'members.exists(m, m.age < 2) && (monetary_status == "extreme_poor" || sisben_rank <= '
            "5)"
        ),
        rule_description=(
            "Hogares con niñas o niños menores de 2 años en pobreza monetaria extrema o en el "
            "grupo A del Sisbén IV."
        ),
        legal_basis="Ley 1804 de 2016.",
        application_process=(
            "Remisión desde el centro zonal, la EPS o la ruta de atención a la desnutrición."
        ),
        documents=(DOC_BIRTH, "Carné de control prenatal (gestantes)"),
        areas=("44",),
        places={"44847": 1200, "44560": 500, "44430": 400, "44001": 300},
    ),
    DemoOffer(
        key="icbf_recuperacion_nutricional",
        organization="icbf",
        name="Centros de Recuperación Nutricional para la primera infancia",
        description=(
            "Atención intramural de niñas y niños menores de 5 años con desnutrición aguda sin "
            "complicaciones, con acompañamiento de sus cuidadores, durante 30 a 60 días."
        ),
        indicators=("early_childhood_barriers", "health_access_barriers"),
        populations=("primera_infancia",),
        approaches=("etnico_indigena",),
        channels=("presencial",),
        rule="members.exists(m, m.age <= 4) && deprived_early_childhood_barriers",
        rule_description=(
            "Hogares con niñas o niños menores de 5 años y privación en servicios para la "
            "primera infancia; ingreso por remisión de salud."
        ),
        legal_basis="Ley 1804 de 2016.",
        application_process="Ingreso por remisión de la institución de salud o de la EPS.",
        documents=(DOC_BIRTH, "Remisión de la institución de salud"),
        areas=("44847", "44560"),
        places={"44847": 80, "44560": 40},
        status="temporarily closed",
        alert="El centro de Manaure está en adecuación hasta marzo de 2026.",
    ),
    DemoOffer(
        key="icbf_generaciones_etnicas",
        organization="icbf",
        name="Generaciones Étnicas con Bienestar",
        description=(
            "Promoción de derechos y prevención de riesgos (trabajo infantil, reclutamiento, "
            "violencias) para niñas, niños y adolescentes de comunidades étnicas, con "
            "actividades que fortalecen la identidad cultural, concertadas con las autoridades "
            "tradicionales."
        ),
        indicators=("child_labour", "school_non_attendance"),
        populations=("infancia", "adolescencia"),
        approaches=("etnico_indigena", "etnico_narp", "etnico_rrom", "curso_de_vida"),
        channels=("presencial",),
        scope="person",
        minimum_age=6,
        maximum_age=17,
        rule='person.age >= 6 && person.age <= 17 && person.ethnicity != "none"',
        rule_description=(
            "Niñas, niños y adolescentes de 6 a 17 años que se reconocen de un pueblo étnico."
        ),
        legal_basis="Ley 1098 de 2006 (Código de la Infancia y la Adolescencia).",
        application_process=(
            "Inscripción concertada con la autoridad tradicional de la comunidad y el centro "
            "zonal del ICBF."
        ),
        documents=("Registro civil o tarjeta de identidad",),
        areas=("44", "27"),
        places={"44847": 900, "44560": 400, "27025": 300, "27099": 250},
    ),
    DemoOffer(
        key="icbf_mi_familia",
        organization="icbf",
        name="Mi Familia: acompañamiento psicosocial a familias",
        description=(
            "Acompañamiento familiar en casa y en encuentros grupales para fortalecer las "
            "capacidades de cuidado, prevenir violencias y trabajo infantil y activar rutas de "
            "protección de niñas, niños y adolescentes."
        ),
        indicators=("child_labour", "school_non_attendance"),
        populations=("hogares", "infancia", "adolescencia"),
        approaches=("victimas", "discapacidad", "curso_de_vida"),
        channels=("presencial",),
        rule=(
            "members.exists(m, m.age < 18) && (deprived_child_labour || "
            "members.exists(m, m.victim || m.disability)) && sisben_rank <= 12"
        ),
        rule_description=(
            "Hogares con menores de edad en los grupos A o B del Sisbén IV, con trabajo infantil "
            "o con víctimas del conflicto o personas con discapacidad."
        ),
        legal_basis="Ley 1098 de 2006.",
        application_process=(
            "Remisión desde Prosperidad Social, la comisaría de familia o el centro zonal."
        ),
        documents=(DOC_ID_MEMBERS,),
        areas=(NATION,),
        places={"44": 800, "27": 700, "52835": 300},
    ),
    # ------------------------------------------------------------------ Registraduría
    DemoOffer(
        key="rnec_cedula_feria",
        organization="registraduria",
        name="Expedición gratuita de cédula de ciudadanía en jornadas de identificación",
        description=(
            "Trámite de cédula de primera vez, duplicados y rectificaciones en jornadas móviles "
            "de la Registraduría y en ferias de servicio, sin costo para población vulnerable. "
            "Sin documento de identidad las personas no pueden afiliarse a salud ni acceder a "
            "subsidios."
        ),
        indicators=("no_health_insurance", "health_access_barriers"),
        populations=("juventud", "adultez", "vejez"),
        approaches=("etnico_indigena", "victimas", "discapacidad"),
        channels=("feria", "presencial"),
        scope="person",
        minimum_age=18,
        rule="person.age >= 18 && sisben_rank <= 30",
        rule_description=(
            "Personas de 18 años o más de hogares en los grupos A, B o C del Sisbén IV."
        ),
        legal_basis="",
        application_process=(
            "Acudir a la jornada con el registro civil de nacimiento o la tarjeta de identidad; "
            "la Registraduría toma la huella y la fotografía en el sitio."
        ),
        documents=("Registro civil de nacimiento o tarjeta de identidad",),
        areas=("44", "27", "99773"),
        places={"44847": 1500, "44560": 600, "27025": 400, "99773": 500},
        windows=(
            Window(date(2026, 4, 18), date(2026, 4, 18), "44847", "Feria #UnDíadeEquidad Uribia"),
            Window(date(2026, 8, 22), date(2026, 8, 22), "27025", "Jornada en Pie de Pató"),
        ),
    ),
    DemoOffer(
        key="rnec_registro_civil",
        organization="registraduria",
        name="Registro civil de nacimiento e inscripción extemporánea",
        description=(
            "Inscripción en el registro civil de niñas y niños no registrados, incluida la "
            "inscripción extemporánea con testigos, en registradurías y jornadas en zonas "
            "rurales e indígenas."
        ),
        indicators=("early_childhood_barriers", "no_health_insurance"),
        populations=("primera_infancia", "infancia"),
        approaches=("etnico_indigena", "campesino"),
        channels=("feria", "presencial"),
        rule="members.exists(m, m.age <= 11)",
        rule_description="Hogares con niñas o niños de 0 a 11 años.",
        legal_basis="Decreto 1260 de 1970 (estatuto del registro del estado civil).",
        application_process=(
            "Presentar el certificado de nacido vivo o, para inscripción extemporánea, dos "
            "testigos con cédula."
        ),
        documents=("Certificado de nacido vivo o declaración de dos testigos", DOC_ID_MEMBERS),
        areas=(NATION,),
        places={"44": 2000, "27": 1500},
    ),
    DemoOffer(
        key="rnec_tarjeta_identidad",
        organization="registraduria",
        name="Tarjeta de identidad para niñas, niños y adolescentes",
        description=(
            "Expedición gratuita de la tarjeta de identidad por primera vez para personas de 7 a "
            "17 años, necesaria para matrícula escolar, salud y programas sociales."
        ),
        indicators=("school_non_attendance", "no_health_insurance"),
        populations=("infancia", "adolescencia"),
        approaches=("curso_de_vida",),
        channels=("feria", "presencial"),
        scope="person",
        minimum_age=7,
        maximum_age=17,
        rule="person.age >= 7 && person.age <= 17",
        rule_description="Niñas, niños y adolescentes de 7 a 17 años.",
        application_process="Acudir con el registro civil de nacimiento y un acudiente.",
        documents=("Registro civil de nacimiento", "Documento de identidad del acudiente"),
        areas=(NATION,),
        places={"44": 1800, "27": 1400},
    ),
    # ------------------------------------------------------------------ MinSalud
    DemoOffer(
        key="minsalud_regimen_subsidiado",
        organization="minsalud",
        name="Afiliación al régimen subsidiado de salud",
        description=(
            "Afiliación gratuita a una EPS del régimen subsidiado para personas sin capacidad de "
            "pago, tramitada por la secretaría de salud municipal o directamente en el Sistema "
            "de Afiliación Transaccional. En ferias se hace la afiliación en el sitio."
        ),
        indicators=("no_health_insurance", "early_childhood_barriers"),
        populations=("hogares",),
        approaches=("etnico_indigena", "etnico_narp", "victimas", "discapacidad"),
        channels=("presencial", "virtual", "feria"),
        rule="deprived_no_health_insurance && sisben_rank <= 30",
        rule_description=(
            "Hogares con algún integrante sin afiliación a salud, en los grupos A, B o C del "
            "Sisbén IV."
        ),
        legal_basis="Ley 100 de 1993 (Sistema General de Seguridad Social en Salud).",
        application_process=(
            "Acudir a la secretaría de salud del municipio o a la EPS elegida con el documento de "
            "identidad; la afiliación queda activa desde el día siguiente."
        ),
        documents=(DOC_ID_MEMBERS,),
        areas=(NATION,),
        places={"44": 20000, "27": 15000, "44847": 6000, "27001": 4000},
    ),
    DemoOffer(
        key="minsalud_pai",
        organization="minsalud",
        name="Vacunación gratuita del Programa Ampliado de Inmunizaciones (PAI)",
        description=(
            "Esquema de vacunación gratuito para niñas y niños, gestantes y personas mayores, "
            "en puestos fijos y brigadas extramurales que llegan a zonas rurales dispersas y a "
            "ferias de servicio."
        ),
        indicators=("early_childhood_barriers", "health_access_barriers"),
        populations=("primera_infancia", "infancia", "vejez"),
        approaches=("curso_de_vida", "etnico_indigena"),
        channels=("presencial", "feria"),
        rule="members.exists(m, m.age <= 5 || m.age >= 60)",
        rule_description="Hogares con niñas o niños de 0 a 5 años o personas de 60 años o más.",
        application_process="Acudir al puesto de vacunación con el carné; no requiere cita.",
        documents=("Carné de vacunación", DOC_ID_MEMBERS),
        areas=(NATION,),
        places={"44": 15000, "27": 12000},
    ),
    DemoOffer(
        key="minsalud_equipos_basicos",
        organization="minsalud",
        name="Equipos básicos de salud en territorio",
        description=(
            "Equipos interdisciplinarios que visitan hogares en zonas rurales y barrios "
            "priorizados para valorar riesgos, hacer promoción y prevención y remitir a los "
            "servicios de salud, reduciendo barreras de acceso."
        ),
        indicators=("health_access_barriers",),
        populations=("hogares",),
        approaches=("campesino", "etnico_indigena", "etnico_narp"),
        channels=("presencial",),
        rule='deprived_health_access_barriers || zone == "rural"',
        rule_description="Hogares con barreras de acceso a salud o ubicados en zona rural.",
        legal_basis="",
        application_process="Visita programada por la secretaría de salud; también por remisión.",
        documents=(DOC_ID_MEMBERS,),
        areas=("44", "27"),
        places={"44": 8000, "27": 7000},
    ),
    DemoOffer(
        key="minsalud_certificado_discapacidad",
        organization="minsalud",
        name="Certificación de discapacidad y Registro de Localización y Caracterización",
        description=(
            "Valoración por un equipo multidisciplinario para expedir el certificado de "
            "discapacidad e incluir a la persona en el registro nacional, requisito para "
            "acceder a beneficios y ajustes razonables."
        ),
        indicators=("health_access_barriers",),
        populations=("infancia", "adolescencia", "juventud", "adultez", "vejez"),
        approaches=("discapacidad",),
        channels=("presencial",),
        scope="person",
        rule="person.disability",
        rule_description="Personas con discapacidad.",
        legal_basis="Ley Estatutaria 1618 de 2013 (derechos de las personas con discapacidad).",
        application_process=(
            "Solicitar la valoración en la secretaría de salud municipal con la historia clínica."
        ),
        documents=(DOC_ID, "Historia clínica con el diagnóstico"),
        areas=(NATION,),
        places={"44": 900, "27": 700},
    ),
    # ------------------------------------------------------------------ MEN
    DemoOffer(
        key="men_alfabetizacion_clei",
        organization="men",
        name="Alfabetización y educación de adultos por ciclos lectivos especiales integrados",
        description=(
            "Educación formal para jóvenes y adultos: alfabetización (ciclo I) y ciclos lectivos "
            "especiales integrados (CLEI) hasta el bachillerato, en jornadas nocturnas, "
            "sabatinas o dominicales, con modelos flexibles y materiales gratuitos."
        ),
        indicators=("illiteracy", "low_educational_attainment"),
        populations=("juventud", "adultez", "vejez"),
        approaches=("etnico_indigena", "campesino", "victimas", "genero"),
        channels=("presencial", "feria"),
        scope="person",
        minimum_age=15,
        rule="person.age >= 15 && (!person.can_read_write || person.years_of_schooling < 9)",
        rule_description=(
            "Personas de 15 años o más que no saben leer y escribir o que no terminaron la "
            "educación básica (noveno grado)."
        ),
        legal_basis=(
            "Decreto 1075 de 2015 (Único Reglamentario del Sector Educación), que compila las "
            "normas de educación de adultos del Decreto 3011 de 1997."
        ),
        application_process=(
            "Matricularse en la institución educativa oficial que ofrece educación de adultos, "
            "a través de la secretaría de educación."
        ),
        documents=(DOC_ID, "Último certificado de estudios (si lo tiene)"),
        areas=(NATION,),
        places={"44": 3000, "27": 2500, "44847": 900, "27025": 300},
        periods=SEMESTERS_2026,
        windows=(Window(date(2026, 1, 19), date(2026, 2, 27), description="Matrículas"),),
    ),
    DemoOffer(
        key="men_jornada_unica",
        organization="men",
        name="Jornada única y permanencia escolar",
        description=(
            "Ampliación de la jornada escolar en instituciones oficiales, con tiempo para "
            "deporte, arte y refuerzo académico, acompañada de estrategias de permanencia "
            "(transporte escolar, útiles) en sedes rurales."
        ),
        indicators=("school_non_attendance", "school_lag"),
        populations=("infancia", "adolescencia"),
        approaches=("curso_de_vida", "campesino"),
        channels=("presencial",),
        rule="members.exists(m, m.age >= 6 && m.age <= 16)",
        rule_description="Hogares con niñas, niños o adolescentes de 6 a 16 años.",
        legal_basis="Ley 115 de 1994 (Ley General de Educación).",
        application_process=(
            "Matrícula en la institución educativa oficial a través de la secretaría de educación."
        ),
        documents=(DOC_BIRTH, DOC_SCHOOL),
        areas=("44", "27"),
        places={"44": 12000, "27": 9000},
    ),
    DemoOffer(
        key="men_pae",
        organization="men",
        name="Programa de Alimentación Escolar (PAE)",
        description=(
            "Complemento alimentario (ración preparada o industrializada) para estudiantes de "
            "instituciones oficiales durante el calendario escolar, que favorece la asistencia y "
            "la permanencia. Con menú diferencial para comunidades étnicas."
        ),
        indicators=("school_non_attendance", "extreme_monetary_poverty"),
        populations=("infancia", "adolescencia"),
        approaches=("etnico_indigena", "etnico_narp"),
        channels=("presencial",),
        rule="members.exists(m, m.age >= 5 && m.age <= 17 && m.attends_school)",
        rule_description=(
            "Hogares con estudiantes de 5 a 17 años matriculados en el sistema oficial."
        ),
        legal_basis="",
        application_process="Automático con la matrícula en la institución educativa oficial.",
        documents=(),
        areas=(NATION,),
        places={"44": 180000, "27": 120000},
    ),
    DemoOffer(
        key="men_busqueda_activa",
        organization="men",
        name="Búsqueda activa de niñas, niños y adolescentes fuera del sistema educativo",
        description=(
            "Identificación casa a casa de menores de edad que no asisten a la escuela, "
            "matrícula en cualquier momento del año y acompañamiento a la familia para evitar "
            "la deserción."
        ),
        indicators=("school_non_attendance", "child_labour"),
        populations=("infancia", "adolescencia"),
        approaches=("curso_de_vida", "victimas"),
        channels=("presencial", "feria"),
        rule="members.exists(m, m.age >= 6 && m.age <= 16 && !m.attends_school)",
        rule_description=(
            "Hogares con niñas, niños o adolescentes de 6 a 16 años que no asisten a la escuela."
        ),
        legal_basis="Ley 115 de 1994.",
        application_process="Remisión a la secretaría de educación, que asigna el cupo escolar.",
        documents=(DOC_BIRTH,),
        areas=("44", "27", "99"),
        places={"44": 3000, "27": 2500, "99": 800},
    ),
    DemoOffer(
        key="men_modelos_flexibles",
        organization="men",
        name="Modelos educativos flexibles para estudiantes en extraedad",
        description=(
            "Aceleración del aprendizaje y otros modelos flexibles que permiten a estudiantes "
            "con rezago nivelar grados en menos tiempo y continuar en el aula regular."
        ),
        indicators=("school_lag",),
        populations=("infancia", "adolescencia"),
        approaches=("curso_de_vida", "victimas"),
        channels=("presencial",),
        rule="members.exists(m, m.age >= 9 && m.age <= 17 && m.years_of_schooling < m.age - 7)",
        rule_description=(
            "Hogares con estudiantes de 9 a 17 años con dos o más años de rezago escolar."
        ),
        legal_basis="Ley 115 de 1994.",
        application_process=(
            "Solicitar el cupo en la institución educativa con la secretaría de educación."
        ),
        documents=(DOC_BIRTH, DOC_SCHOOL),
        areas=("44", "27"),
        places={"44": 1500, "27": 1200},
    ),
    # ------------------------------------------------------------------ MinTrabajo
    DemoOffer(
        key="mintrabajo_formalizacion",
        organization="mintrabajo",
        name="Ruta de formalización laboral y afiliación a seguridad social",
        description=(
            "Asesoría a trabajadores informales y a sus empleadores sobre afiliación a salud, "
            "pensión, riesgos laborales y caja de compensación, y acompañamiento para la "
            "formalización de pequeños negocios."
        ),
        indicators=("informal_work",),
        populations=("adultez", "juventud", "unidades_productivas"),
        approaches=("genero",),
        channels=("presencial", "virtual", "feria"),
        scope="person",
        minimum_age=18,
        rule='person.age >= 18 && person.activity == "employed" && !person.contributes_to_pension',
        rule_description="Personas mayores de edad ocupadas que no cotizan a pensión.",
        legal_basis="",
        application_process=(
            "Acudir a la dirección territorial del Ministerio del Trabajo o a la feria de servicio."
        ),
        documents=(DOC_ID,),
        areas=(NATION,),
        places={"44": 1200, "27": 1000},
    ),
    DemoOffer(
        key="mintrabajo_estado_joven",
        organization="mintrabajo",
        name="Estado Joven: prácticas laborales en el sector público",
        description=(
            "Prácticas laborales remuneradas en entidades públicas para estudiantes de "
            "programas técnicos, tecnológicos y universitarios, como primera experiencia "
            "laboral."
        ),
        indicators=("long_term_unemployment", "informal_work"),
        populations=("juventud",),
        approaches=("victimas", "discapacidad", "etnico_narp"),
        channels=("virtual",),
        scope="person",
        minimum_age=15,
        maximum_age=28,
        rule="person.age >= 15 && person.age <= 28 && person.attends_school && sisben_rank <= 30",
        rule_description=(
            "Jóvenes de 15 a 28 años que estudian, de hogares en los grupos A, B o C del Sisbén IV."
        ),
        legal_basis="Ley 1780 de 2016 (empleo y emprendimiento juvenil).",
        application_process=(
            "Postularse a las plazas publicadas en la convocatoria del Servicio Público de Empleo."
        ),
        documents=(DOC_ID, "Certificado de matrícula vigente"),
        areas=(NATION,),
        places={"44": 60, "27": 50, "11001": 700},
        windows=(Window(date(2026, 2, 2), date(2026, 2, 27), description="Convocatoria 2026-1"),),
    ),
    # ------------------------------------------------------------------ Colpensiones
    DemoOffer(
        key="colpensiones_beps",
        organization="colpensiones",
        name="Beneficios Económicos Periódicos (BEPS)",
        description=(
            "Ahorro voluntario y flexible para la vejez de personas de bajos ingresos que no "
            "cotizan a pensión: el Estado aporta un subsidio del 20 % sobre lo ahorrado y, al "
            "llegar a la edad, se recibe una renta vitalicia bimestral."
        ),
        indicators=("informal_work",),
        populations=("adultez", "vejez"),
        approaches=("genero", "campesino"),
        channels=("presencial", "virtual", "feria"),
        scope="person",
        minimum_age=18,
        rule=(
            "person.age >= 18 && !person.contributes_to_pension && !person.receives_pension && "
            "sisben_rank <= 30"
        ),
        rule_description=(
            "Personas mayores de edad que no cotizan ni reciben pensión, de hogares en los grupos "
            "A, B o C del Sisbén IV."
        ),
        legal_basis="Acto Legislativo 01 de 2005 y Ley 1328 de 2009, artículo 87.",
        application_process=(
            "Vincularse en un punto de atención de Colpensiones, en la feria de servicio o en "
            "línea, y ahorrar en los puntos de recaudo autorizados."
        ),
        documents=(DOC_ID,),
        areas=(NATION,),
        places={"44": 2500, "27": 2000},
    ),
    # ------------------------------------------------------------------ MinVivienda
    DemoOffer(
        key="minvivienda_cambia_mi_casa",
        organization="minvivienda",
        name="Cambia Mi Casa: mejoramiento de vivienda urbana",
        description=(
            "Subsidio familiar en especie para mejorar pisos, cubiertas, baños, cocinas y "
            "espacios de la vivienda propia, ejecutado por un operador con diagnóstico técnico "
            "previo de cada casa."
        ),
        indicators=(
            "inadequate_floors",
            "inadequate_walls",
            "inadequate_sanitation",
            "critical_overcrowding",
        ),
        populations=("hogares", "jefatura_femenina"),
        approaches=("genero", "discapacidad", "victimas"),
        channels=("presencial",),
        rule=(
            'zone == "urban" && sisben_rank <= 30 && (deprived_inadequate_floors || '
            "deprived_inadequate_walls || deprived_inadequate_sanitation || "
            "deprived_critical_overcrowding)"
        ),
        rule_description=(
            "Hogares urbanos en los grupos A, B o C del Sisbén IV con pisos o paredes "
            "inadecuados, sin saneamiento adecuado o en hacinamiento crítico."
        ),
        legal_basis="Decreto 1077 de 2015 (Único Reglamentario del Sector Vivienda).",
        application_process=(
            "Postularse en la convocatoria del municipio priorizado; el operador visita la "
            "vivienda para el diagnóstico técnico."
        ),
        documents=(DOC_ID_MEMBERS, DOC_PROPERTY, DOC_ADDRESS),
        areas=("44001", "44430", "27001", "52835", "76109"),
        places={"44001": 350, "44430": 300, "27001": 400, "52835": 300, "76109": 350},
        windows=(
            Window(date(2026, 3, 2), date(2026, 4, 17), description="Postulación municipios 2026"),
        ),
    ),
    DemoOffer(
        key="minvivienda_mi_casa_ya",
        organization="minvivienda",
        name="Mi Casa Ya: subsidio para adquisición de vivienda de interés social",
        description=(
            "Subsidio a la cuota inicial y cobertura a la tasa de interés para que hogares sin "
            "vivienda compren vivienda nueva de interés social en zona urbana con crédito o "
            "leasing habitacional."
        ),
        indicators=("critical_overcrowding",),
        populations=("hogares", "jefatura_femenina"),
        approaches=("genero", "victimas"),
        channels=("presencial", "virtual"),
        rule='zone == "urban" && deprived_critical_overcrowding && sisben_rank <= 30',
        rule_description=(
            "Hogares urbanos en hacinamiento crítico en los grupos A, B o C del Sisbén IV."
        ),
        legal_basis="Ley 1537 de 2012 y Decreto 1077 de 2015.",
        application_process=(
            "Obtener la aprobación de crédito o leasing en una entidad financiera, que hace la "
            "postulación al subsidio."
        ),
        documents=(DOC_ID_MEMBERS, "Carta de aprobación de crédito o leasing habitacional"),
        areas=(NATION,),
        places={"44": 250, "27": 150, "11001": 4000, "05001": 2000},
        fees_description="El subsidio cubre parte de la cuota inicial; el hogar asume el crédito.",
    ),
    DemoOffer(
        key="minvivienda_vivienda_rural",
        organization="minvivienda",
        name="Vivienda rural: mejoramiento y vivienda nueva",
        description=(
            "Subsidio en especie para construir vivienda nueva o mejorar la existente en zona "
            "rural, con diseños adaptados al clima y a las costumbres de comunidades "
            "campesinas, indígenas y afrocolombianas."
        ),
        indicators=(
            "inadequate_floors",
            "inadequate_walls",
            "critical_overcrowding",
            "inadequate_sanitation",
        ),
        populations=("hogares", "campesinos"),
        approaches=("campesino", "etnico_indigena", "etnico_narp", "victimas"),
        channels=("presencial",),
        rule=(
            'zone == "rural" && sisben_rank <= 12 && (deprived_inadequate_floors || '
            "deprived_inadequate_walls || deprived_critical_overcrowding)"
        ),
        rule_description=(
            "Hogares rurales en los grupos A o B del Sisbén IV con pisos o paredes inadecuados o "
            "en hacinamiento crítico."
        ),
        legal_basis="Decreto 1077 de 2015.",
        application_process=(
            "Postulación a través de la alcaldía en la convocatoria del municipio priorizado."
        ),
        documents=(DOC_ID_MEMBERS, DOC_PROPERTY),
        areas=("44", "27"),
        places={"44847": 200, "44560": 120, "27025": 100, "27615": 120},
        windows=(
            Window(date(2026, 5, 4), date(2026, 6, 30), description="Postulación rural 2026"),
        ),
    ),
    DemoOffer(
        key="minvivienda_guajira_azul",
        organization="minvivienda",
        name="Guajira Azul: soluciones de agua en zona rural",
        description=(
            "Construcción y operación de pilas públicas, módulos de agua y sistemas de "
            "abastecimiento para comunidades rurales e indígenas de La Guajira, con gestión "
            "comunitaria del servicio."
        ),
        indicators=("no_improved_water",),
        populations=("hogares",),
        approaches=("etnico_indigena",),
        channels=("presencial",),
        rule='department_code == "44" && zone == "rural" && deprived_no_improved_water',
        rule_description="Hogares rurales de La Guajira sin fuente de agua mejorada.",
        legal_basis="",
        application_process=(
            "Se prioriza por comunidad con la gobernación y las autoridades tradicionales; el "
            "hogar se registra como usuario del punto de agua."
        ),
        documents=(DOC_ID,),
        areas=("44",),
        places={"44847": 4000, "44560": 2000, "44430": 1500},
    ),
    # ------------------------------------------------------------------ MinAgricultura
    DemoOffer(
        key="minagricultura_compras_publicas",
        organization="minagricultura",
        name="Compras públicas locales de la agricultura campesina, familiar y comunitaria",
        description=(
            "Vinculación de pequeños productores y organizaciones campesinas como proveedores de "
            "alimentos de entidades públicas (alimentación escolar, ICBF, fuerzas militares), "
            "con acompañamiento para cumplir los requisitos de los compradores."
        ),
        indicators=("informal_work", "monetary_poverty"),
        populations=("campesinos", "unidades_productivas"),
        approaches=("campesino", "etnico_narp", "etnico_indigena", "genero"),
        channels=("presencial",),
        rule='zone == "rural" && members.exists(m, m.age >= 18 && m.activity == "employed")',
        rule_description="Hogares rurales con al menos un integrante adulto ocupado (productor).",
        legal_basis=(
            "Ley 2046 de 2020 (compras públicas de alimentos a la agricultura campesina, "
            "familiar y comunitaria) y Decreto 248 de 2021."
        ),
        application_process=(
            "Inscribir la unidad productiva u organización en la mesa técnica departamental de "
            "compras públicas locales."
        ),
        documents=(DOC_ID, "RUT de la persona u organización productora"),
        areas=("44", "27"),
        places={"44": 150, "27": 150},
    ),
    DemoOffer(
        key="minagricultura_mujer_rural",
        organization="minagricultura",
        name="Mujer rural: apoyo a proyectos productivos de mujeres rurales",
        description=(
            "Cofinanciación de proyectos productivos y fortalecimiento organizativo de mujeres "
            "rurales y sus organizaciones, con formación en gestión y comercialización."
        ),
        indicators=("informal_work", "monetary_poverty"),
        populations=("mujeres", "campesinos", "unidades_productivas"),
        approaches=("genero", "campesino", "victimas"),
        channels=("presencial", "virtual"),
        scope="person",
        minimum_age=18,
        rule='person.sex == "female" && person.age >= 18 && zone == "rural"',
        rule_description="Mujeres mayores de edad que viven en zona rural.",
        legal_basis="Ley 731 de 2002 (Ley de Mujer Rural).",
        application_process=(
            "Presentar el proyecto en la convocatoria nacional, de forma individual u organizada."
        ),
        documents=(DOC_ID, "Formulario del proyecto productivo"),
        areas=(NATION,),
        places={"44": 80, "27": 70},
        windows=(Window(date(2026, 4, 6), date(2026, 5, 29), description="Convocatoria 2026"),),
    ),
    # ------------------------------------------------------------------ Bancóldex
    DemoOffer(
        key="bancoldex_microempresas",
        organization="bancoldex",
        name="Crédito para microempresas a través de entidades de microfinanzas",
        description=(
            "Líneas de redescuento de Bancóldex que las cooperativas, ONG financieras y bancos "
            "de microfinanzas prestan a microempresarios para capital de trabajo y activos, con "
            "plazos y tasas favorables."
        ),
        indicators=("informal_work",),
        populations=("unidades_productivas", "adultez"),
        approaches=("genero",),
        channels=("presencial",),
        scope="person",
        minimum_age=18,
        rule='person.age >= 18 && person.activity == "employed"',
        rule_description="Personas mayores de edad con una actividad productiva en marcha.",
        legal_basis="",
        application_process=(
            "Solicitar el crédito en una entidad de microfinanzas aliada de Bancóldex en el "
            "municipio."
        ),
        documents=(DOC_ID, "Soporte de la actividad productiva"),
        areas=(NATION,),
        places={"44": 300, "27": 200},
        fees_description="Crédito con intereses según la entidad intermediaria.",
    ),
    # ------------------------------------------------------------------ Artesanías
    DemoOffer(
        key="artesanias_fortalecimiento",
        organization="artesanias",
        name="Fortalecimiento de la actividad artesanal y de oficios tradicionales",
        description=(
            "Asistencia técnica en diseño, calidad, costos y comercialización para artesanas y "
            "artesanos, con énfasis en oficios tradicionales de pueblos indígenas y "
            "afrocolombianos (tejeduría wayuu, cestería, orfebrería) y participación en "
            "ferias comerciales."
        ),
        indicators=("informal_work", "monetary_poverty"),
        populations=("unidades_productivas", "mujeres"),
        approaches=("etnico_indigena", "etnico_narp", "genero"),
        channels=("presencial",),
        scope="person",
        minimum_age=18,
        rule='person.age >= 18 && person.activity == "employed" && person.ethnicity != "none"',
        rule_description=(
            "Personas mayores de edad ocupadas en oficios artesanales que se reconocen de un "
            "pueblo étnico."
        ),
        legal_basis="",
        application_process=(
            "Inscribirse con el laboratorio de innovación y diseño departamental de Artesanías "
            "de Colombia."
        ),
        documents=(DOC_ID,),
        areas=("44", "27"),
        places={"44847": 250, "44560": 120, "27001": 80},
    ),
    # ------------------------------------------------------------------ Banco Agrario
    DemoOffer(
        key="banco_agrario_microcredito",
        organization="banco_agrario",
        name="Microcrédito rural agropecuario",
        description=(
            "Crédito para pequeños productores rurales destinado a siembras, animales, "
            "maquinaria menor y capital de trabajo, con asesoría en la oficina del municipio y "
            "tasas de la línea especial para pequeños productores."
        ),
        indicators=("informal_work", "monetary_poverty"),
        populations=("campesinos", "unidades_productivas"),
        approaches=("campesino", "genero"),
        channels=("presencial", "feria"),
        scope="person",
        minimum_age=18,
        rule='person.age >= 18 && zone == "rural" && person.activity == "employed"',
        rule_description="Personas mayores de edad ocupadas que viven en zona rural.",
        legal_basis="",
        application_process="Solicitar el crédito en la oficina del Banco Agrario del municipio.",
        documents=(DOC_ID, DOC_PROPERTY, "Descripción de la actividad agropecuaria"),
        areas=(NATION,),
        places={"44": 600, "27": 400},
        fees_description="Crédito con intereses de la línea para pequeños productores.",
    ),
    # ------------------------------------------------------------------ Banca de las Oportunidades
    DemoOffer(
        key="bdo_ahorro_educacion_financiera",
        organization="banca_oportunidades",
        name="Cuenta de ahorro de trámite simplificado y educación financiera",
        description=(
            "Apertura de cuentas de ahorro o depósitos electrónicos sin cuota de manejo, con "
            "talleres de educación económica y financiera para hogares que reciben "
            "transferencias del Estado."
        ),
        indicators=("monetary_poverty", "extreme_monetary_poverty"),
        populations=("hogares", "mujeres"),
        approaches=("genero", "campesino"),
        channels=("presencial", "virtual", "feria"),
        rule='sisben_rank <= 30 || monetary_status != "not_poor"',
        rule_description=("Hogares en los grupos A, B o C del Sisbén IV o en pobreza monetaria."),
        legal_basis="Decreto 3078 de 2006 (creación del programa Banca de las Oportunidades).",
        application_process=(
            "Abrir la cuenta en un corresponsal bancario o en la feria de servicio."
        ),
        documents=(DOC_ID,),
        areas=(NATION,),
        places={"44": 5000, "27": 4000},
    ),
    # ------------------------------------------------------------------ ICETEX
    DemoOffer(
        key="icetex_credito_tu_eliges",
        organization="icetex",
        name="Crédito educativo Tú Eliges con subsidio para población vulnerable",
        description=(
            "Crédito para matrícula de pregrado en instituciones de educación superior, con "
            "subsidio a la tasa de interés y posibilidad de pagar durante y después de los "
            "estudios para estudiantes de los grupos más pobres del Sisbén."
        ),
        indicators=("low_educational_attainment",),
        populations=("juventud",),
        approaches=("victimas", "etnico_indigena", "etnico_narp", "discapacidad"),
        channels=("virtual",),
        scope="person",
        minimum_age=16,
        rule="person.age >= 16 && person.years_of_schooling >= 11 && sisben_rank <= 30",
        rule_description=(
            "Bachilleres de 16 años o más de hogares en los grupos A, B o C del Sisbén IV, "
            "admitidos en una institución de educación superior."
        ),
        legal_basis="Ley 1002 de 2005 (transformación del ICETEX).",
        application_process=(
            "Diligenciar la solicitud en línea en el portal del ICETEX, con el deudor solidario "
            "cuando se requiera, y legalizar el crédito en la institución."
        ),
        documents=(DOC_ID, "Certificado de admisión", "Diploma o acta de grado de bachiller"),
        areas=(NATION,),
        places={"44": 200, "27": 180},
        periods=SEMESTERS_2026,
        fees_description="Crédito con subsidio a la tasa de interés.",
    ),
    DemoOffer(
        key="icetex_fondo_reparacion_victimas",
        organization="icetex",
        name="Fondo de Reparación para el acceso a la educación superior de víctimas",
        description=(
            "Crédito condonable que cubre matrícula y sostenimiento para víctimas del conflicto "
            "armado admitidas en programas técnicos, tecnológicos o universitarios; se condona "
            "al graduarse."
        ),
        indicators=("low_educational_attainment",),
        populations=("juventud", "adultez"),
        approaches=("victimas",),
        channels=("virtual",),
        scope="person",
        minimum_age=16,
        rule="person.victim && person.years_of_schooling >= 11",
        rule_description="Víctimas del conflicto armado (RUV) que terminaron el bachillerato.",
        legal_basis="Ley 1448 de 2011 (Ley de Víctimas y Restitución de Tierras).",
        application_process="Postularse en línea en la convocatoria semestral del fondo.",
        documents=(DOC_ID, DOC_RUV, "Certificado de admisión"),
        areas=(NATION,),
        places={"44": 60, "27": 90, "52835": 40},
        periods=SEMESTERS_2026,
        windows=(
            Window(date(2026, 2, 9), date(2026, 3, 13), description="Convocatoria primer semestre"),
        ),
    ),
    # ------------------------------------------------------------------ ADR
    DemoOffer(
        key="adr_pidar",
        organization="adr",
        name="Proyectos Integrales de Desarrollo Agropecuario y Rural (PIDAR)",
        description=(
            "Cofinanciación de proyectos productivos asociativos (insumos, infraestructura "
            "productiva, asistencia técnica y comercialización) formulados por organizaciones "
            "campesinas, étnicas y de mujeres rurales."
        ),
        indicators=("informal_work", "monetary_poverty"),
        populations=("campesinos", "unidades_productivas"),
        approaches=("campesino", "etnico_indigena", "etnico_narp", "genero", "victimas"),
        channels=("presencial",),
        rule='zone == "rural" && sisben_rank <= 30',
        rule_description=(
            "Hogares rurales en los grupos A, B o C del Sisbén IV, vinculados a una organización."
        ),
        legal_basis="Decreto-Ley 2364 de 2015 (creación de la Agencia de Desarrollo Rural).",
        application_process=(
            "La organización presenta el perfil del proyecto en el banco de proyectos de la "
            "ADR, con aval de la gobernación o la alcaldía."
        ),
        documents=("Certificado de existencia de la organización", "Perfil del proyecto"),
        areas=("44", "27"),
        places={"44": 400, "27": 350},
        windows=(Window(date(2026, 2, 16), date(2026, 4, 30), description="Banco de proyectos"),),
    ),
    DemoOffer(
        key="adr_extension_agropecuaria",
        organization="adr",
        name="Servicio público de extensión agropecuaria",
        description=(
            "Acompañamiento técnico a productores en prácticas productivas, asociatividad, "
            "acceso a mercados y manejo sostenible, prestado por entidades habilitadas en el "
            "marco de los planes departamentales de extensión."
        ),
        indicators=("informal_work",),
        populations=("campesinos", "unidades_productivas"),
        approaches=("campesino", "etnico_indigena", "etnico_narp"),
        channels=("presencial",),
        rule='zone == "rural"',
        rule_description="Hogares rurales con actividad agropecuaria.",
        legal_basis="Ley 1876 de 2017 (Sistema Nacional de Innovación Agropecuaria).",
        application_process=(
            "Inscribirse con la alcaldía o la entidad prestadora del servicio de extensión."
        ),
        documents=(DOC_ID,),
        areas=(NATION,),
        places={"44": 1200, "27": 1000},
    ),
    # ------------------------------------------------------------------ ANT
    DemoOffer(
        key="ant_formalizacion",
        organization="ant",
        name="Formalización de la pequeña propiedad rural",
        description=(
            "Acompañamiento jurídico y técnico gratuito para obtener el título de predios "
            "rurales privados o baldíos ocupados por familias campesinas, con registro en la "
            "oficina de instrumentos públicos."
        ),
        indicators=("monetary_poverty",),
        populations=("campesinos", "hogares"),
        approaches=("campesino", "genero", "victimas"),
        channels=("presencial",),
        rule='zone == "rural" && sisben_rank <= 30',
        rule_description=(
            "Hogares rurales en los grupos A, B o C del Sisbén IV que ocupan o poseen un predio."
        ),
        legal_basis="Decreto-Ley 902 de 2017 (acceso y formalización de tierras).",
        application_process=(
            "Solicitar la formalización en la jornada de barrido predial del municipio o en la "
            "sede territorial de la ANT."
        ),
        documents=(DOC_ID_MEMBERS, DOC_PROPERTY),
        areas=("44", "27", "52835"),
        places={"44": 300, "27": 250, "52835": 150},
    ),
    # ------------------------------------------------------------------ ART
    DemoOffer(
        key="art_obras_pdet",
        organization="art",
        name="Obras PDET de pequeña infraestructura comunitaria",
        description=(
            "Obras priorizadas por las comunidades en los Programas de Desarrollo con Enfoque "
            "Territorial: acueductos veredales, unidades sanitarias, placas huella, "
            "mejoramiento de escuelas rurales y casetas comunales."
        ),
        indicators=("no_improved_water", "inadequate_sanitation"),
        populations=("hogares", "campesinos"),
        approaches=("campesino", "victimas", "etnico_narp", "etnico_indigena"),
        channels=("presencial",),
        rule=(
            'zone == "rural" && municipality_code in '
            '["27361", "27615", "27099", "44090", "44650", "52835", "76109"]'
        ),
        rule_description="Hogares rurales de municipios PDET priorizados en la demostración.",
        legal_basis="Decreto-Ley 893 de 2017 (Programas de Desarrollo con Enfoque Territorial).",
        application_process=(
            "Las obras se priorizan con las juntas de acción comunal; los hogares se vinculan a "
            "través de la junta de su vereda."
        ),
        documents=(),
        areas=PDET_DEMO,
        places=dict.fromkeys(PDET_DEMO, 400),
    ),
    # ------------------------------------------------------------------ MinTIC
    DemoOffer(
        key="mintic_centros_digitales",
        organization="mintic",
        name="Conectividad rural: Centros Digitales",
        description=(
            "Internet gratuito en sedes educativas rurales y puntos comunitarios de zonas "
            "apartadas, para uso de estudiantes, docentes y la comunidad."
        ),
        indicators=("school_lag", "low_educational_attainment"),
        populations=("infancia", "adolescencia", "hogares"),
        approaches=("campesino", "etnico_indigena"),
        channels=("presencial",),
        rule='zone == "rural"',
        rule_description="Hogares en zona rural.",
        legal_basis="Ley 1341 de 2009 (ley de tecnologías de la información y las comunicaciones).",
        application_process="Acceso libre en el centro digital de la sede educativa o la vereda.",
        documents=(),
        areas=("44", "27", "99"),
        places={"44": 20000, "27": 15000, "99": 6000},
    ),
    DemoOffer(
        key="mintic_habilidades_digitales",
        organization="mintic",
        name="Formación en habilidades digitales y programación",
        description=(
            "Cursos gratuitos virtuales y presenciales de alfabetización digital, uso seguro de "
            "internet, programación y análisis de datos, con certificación."
        ),
        indicators=("low_educational_attainment", "long_term_unemployment"),
        populations=("juventud", "adultez", "mujeres"),
        approaches=("genero", "discapacidad"),
        channels=("virtual", "presencial"),
        scope="person",
        minimum_age=15,
        rule="person.age >= 15 && person.can_read_write",
        rule_description="Personas de 15 años o más que saben leer y escribir.",
        legal_basis="Ley 1341 de 2009.",
        application_process="Inscribirse en la plataforma del programa en la convocatoria abierta.",
        documents=(DOC_ID,),
        areas=(NATION,),
        places={"44": 1500, "27": 1200, "11001": 10000},
        periods=SEMESTERS_2026,
    ),
    # ------------------------------------------------------------------ MinCulturas
    DemoOffer(
        key="mincultura_escuelas_musica",
        organization="mincultura",
        name="Escuelas municipales de música y artes",
        description=(
            "Formación gratuita en música, danza y artes para niñas, niños y jóvenes en "
            "escuelas municipales, como estrategia de uso del tiempo libre y prevención del "
            "trabajo infantil y del reclutamiento."
        ),
        indicators=("child_labour", "school_non_attendance"),
        populations=("infancia", "adolescencia", "juventud"),
        approaches=("etnico_narp", "etnico_indigena", "victimas"),
        channels=("presencial",),
        scope="person",
        minimum_age=6,
        maximum_age=24,
        rule="person.age >= 6 && person.age <= 24",
        rule_description="Niñas, niños, adolescentes y jóvenes de 6 a 24 años.",
        legal_basis="Ley 397 de 1997 (Ley General de Cultura).",
        application_process=(
            "Inscribirse en la casa de la cultura o la escuela de música del municipio."
        ),
        documents=("Documento de identidad o registro civil",),
        areas=("27001", "27361", "44001", "44847"),
        places={"27001": 300, "27361": 120, "44001": 250, "44847": 100},
    ),
    DemoOffer(
        key="mincultura_lectura_rural",
        organization="mincultura",
        name="Promoción de lectura en bibliotecas públicas rurales",
        description=(
            "Servicios de biblioteca itinerante y clubes de lectura y escritura para familias "
            "rurales, con colecciones en lenguas nativas y acompañamiento a procesos de "
            "alfabetización."
        ),
        indicators=("illiteracy", "school_lag"),
        populations=("infancia", "adolescencia", "adultez"),
        approaches=("etnico_indigena", "campesino"),
        channels=("presencial",),
        rule='zone == "rural" && (deprived_illiteracy || deprived_school_lag)',
        rule_description="Hogares rurales con analfabetismo o rezago escolar.",
        legal_basis="Ley 1379 de 2010 (Red Nacional de Bibliotecas Públicas).",
        application_process=(
            "Acceso libre en la biblioteca o en las visitas de la biblioteca itinerante."
        ),
        documents=(),
        areas=("44", "27"),
        places={"44": 3000, "27": 2500},
        status="inactive",
        alert="Programa suspendido en 2026 mientras se renueva el convenio con los departamentos.",
    ),
    # ------------------------------------------------------------------ Ejército
    DemoOffer(
        key="ejercito_situacion_militar",
        organization="ejercito",
        name="Definición de la situación militar y expedición de libreta militar",
        description=(
            "Jornadas de definición de la situación militar en municipios apartados, con "
            "exención de la cuota de compensación militar para población vulnerable según la "
            "ley, y expedición de la tarjeta militar."
        ),
        indicators=("informal_work", "long_term_unemployment"),
        populations=("juventud", "adultez"),
        approaches=("victimas", "etnico_indigena", "discapacidad"),
        channels=("feria", "presencial", "virtual"),
        scope="person",
        minimum_age=18,
        maximum_age=50,
        rule='person.sex == "male" && person.age >= 18 && person.age <= 50',
        rule_description="Hombres de 18 a 50 años.",
        legal_basis=(
            "Ley 1861 de 2017 (servicio de reclutamiento, control de reservas y movilización)."
        ),
        application_process=(
            "Inscribirse en el portal de libreta militar o en la jornada, presentar los "
            "documentos y recibir la tarjeta militar."
        ),
        documents=(DOC_ID, "Soporte de la causal de exención, si aplica"),
        areas=(NATION,),
        places={"44": 1500, "27": 1200},
    ),
    DemoOffer(
        key="ejercito_jornadas_apoyo_desarrollo",
        organization="ejercito",
        name="Jornadas de apoyo al desarrollo",
        description=(
            "Jornadas de acción integral en zonas rurales apartadas con atención médica y "
            "odontológica general, entrega de ayudas y articulación con otras entidades para "
            "servicios de registro e identificación."
        ),
        indicators=("health_access_barriers",),
        populations=("hogares",),
        approaches=("campesino", "etnico_indigena", "etnico_narp"),
        channels=("feria", "presencial"),
        rule='zone == "rural" && (deprived_health_access_barriers || deprived_no_health_insurance)',
        rule_description="Hogares rurales con barreras de acceso a salud o sin aseguramiento.",
        legal_basis="",
        application_process="Acudir a la jornada programada en la vereda o el corregimiento.",
        documents=(DOC_ID,),
        areas=("44", "27", "99773"),
        places={"44847": 800, "27025": 600, "99773": 500},
        periods=(Q1,),
        windows=(
            Window(date(2026, 2, 21), date(2026, 2, 22), "27025", "Jornada en el Alto Baudó"),
        ),
    ),
    # ------------------------------------------------------------------ territorial
    DemoOffer(
        key="gobernacion_guajira_agua_rural",
        organization="gobernacion_la_guajira",
        name="Plan Departamental de Agua: abastecimiento en comunidades rurales",
        description=(
            "Suministro de agua potable en carrotanque a rancherías sin fuente mejorada mientras "
            "se construyen soluciones permanentes, y entrega de filtros y tanques de "
            "almacenamiento a los hogares."
        ),
        indicators=("no_improved_water", "inadequate_sanitation"),
        populations=("hogares",),
        approaches=("etnico_indigena",),
        channels=("presencial",),
        rule='department_code == "44" && zone == "rural" && deprived_no_improved_water',
        rule_description="Hogares rurales de La Guajira sin fuente de agua mejorada.",
        legal_basis="",
        application_process=(
            "Solicitud de la autoridad tradicional o de la alcaldía ante la gestora del plan."
        ),
        documents=(DOC_ID,),
        areas=("44",),
        places={"44847": 5000, "44560": 2000, "44430": 1500, "44001": 1000},
    ),
    DemoOffer(
        key="gobernacion_guajira_becas",
        organization="gobernacion_la_guajira",
        name="Becas departamentales para educación superior",
        description=(
            "Apoyo para matrícula y sostenimiento de bachilleres guajiros de bajos ingresos "
            "admitidos en instituciones de educación superior, con cupos para jóvenes wayuu."
        ),
        indicators=("low_educational_attainment",),
        populations=("juventud",),
        approaches=("etnico_indigena", "etnico_narp"),
        channels=("virtual", "presencial"),
        scope="person",
        minimum_age=16,
        maximum_age=28,
        rule=(
            'department_code == "44" && person.age >= 16 && person.age <= 28 && '
            "person.years_of_schooling >= 11 && sisben_rank <= 12"
        ),
        rule_description=(
            "Jóvenes de La Guajira de 16 a 28 años con bachillerato, en los grupos A o B del "
            "Sisbén IV."
        ),
        legal_basis="",
        application_process=(
            "Postularse en la convocatoria de la secretaría de educación departamental."
        ),
        documents=(DOC_ID, "Certificado de admisión", "Resultados de la prueba Saber 11"),
        areas=("44",),
        places={"44": 300},
        periods=SEMESTERS_2026,
        windows=(Window(date(2026, 1, 12), date(2026, 2, 13), "44", "Convocatoria 2026-1"),),
    ),
    DemoOffer(
        key="gobernacion_choco_saneamiento",
        organization="gobernacion_choco",
        name="Soluciones individuales de saneamiento rural",
        description=(
            "Construcción de unidades sanitarias con pozo séptico o baño seco en viviendas "
            "rurales ribereñas, con capacitación en su uso y mantenimiento."
        ),
        indicators=("inadequate_sanitation",),
        populations=("hogares",),
        approaches=("etnico_narp", "etnico_indigena"),
        channels=("presencial",),
        rule='department_code == "27" && zone == "rural" && deprived_inadequate_sanitation',
        rule_description="Hogares rurales del Chocó sin adecuada eliminación de excretas.",
        legal_basis="",
        application_process=(
            "Inscripción por el consejo comunitario o el cabildo ante la secretaría de "
            "infraestructura."
        ),
        documents=(DOC_ID_MEMBERS,),
        areas=("27",),
        places={"27025": 250, "27099": 200, "27615": 200, "27001": 150},
    ),
    DemoOffer(
        key="gobernacion_choco_seguridad_alimentaria",
        organization="gobernacion_choco",
        name="Huertas familiares y seguridad alimentaria",
        description=(
            "Entrega de semillas, herramientas y especies menores con asistencia técnica para "
            "huertas y patios productivos de autoconsumo en hogares rurales."
        ),
        indicators=("extreme_monetary_poverty", "early_childhood_barriers"),
        populations=("hogares", "campesinos", "jefatura_femenina"),
        approaches=("etnico_narp", "genero", "campesino"),
        channels=("presencial", "feria"),
        rule='department_code == "27" && (monetary_status == "extreme_poor" || sisben_rank <= 5)',
        rule_description=(
            "Hogares del Chocó en pobreza monetaria extrema o en el grupo A del Sisbén IV."
        ),
        legal_basis="",
        application_process=(
            "Inscripción con la UMATA o la secretaría de agricultura departamental."
        ),
        documents=(DOC_ID,),
        areas=("27",),
        places={"27": 1500},
    ),
    DemoOffer(
        key="alcaldia_uribia_pisos",
        organization="alcaldia_uribia",
        name="Mejoramiento de pisos en viviendas de rancherías",
        description=(
            "Reemplazo de pisos de tierra por pisos en concreto en viviendas de la cabecera y de "
            "rancherías de Uribia, concertado con las autoridades tradicionales wayuu."
        ),
        indicators=("inadequate_floors",),
        populations=("hogares", "jefatura_femenina"),
        approaches=("etnico_indigena", "genero"),
        channels=("presencial", "feria"),
        rule='municipality_code == "44847" && deprived_inadequate_floors',
        rule_description="Hogares de Uribia con piso de tierra o arena.",
        legal_basis="",
        application_process=(
            "Inscripción en la secretaría de planeación municipal o en la feria de servicio."
        ),
        documents=(DOC_ID, DOC_PROPERTY),
        areas=("44847",),
        places={"44847": 600},
        windows=(Window(date(2026, 4, 1), date(2026, 5, 15), "44847", "Inscripciones 2026"),),
    ),
    DemoOffer(
        key="alcaldia_uribia_alimentacion_mayor",
        organization="alcaldia_uribia",
        name="Complemento alimentario para personas mayores",
        description=(
            "Entrega mensual de paquete alimentario y encuentros de actividad física y "
            "recreación para personas mayores en situación de pobreza de Uribia."
        ),
        indicators=("extreme_monetary_poverty",),
        populations=("vejez",),
        approaches=("etnico_indigena", "curso_de_vida"),
        channels=("presencial",),
        scope="person",
        minimum_age=60,
        rule='municipality_code == "44847" && person.age >= 60 && sisben_rank <= 12',
        rule_description="Personas de 60 años o más de Uribia en los grupos A o B del Sisbén IV.",
        legal_basis="",
        application_process="Inscripción en la oficina de programas sociales de la alcaldía.",
        documents=(DOC_ID,),
        areas=("44847",),
        places={"44847": 700},
    ),
    DemoOffer(
        key="alcaldia_quibdo_empleo_joven",
        organization="alcaldia_quibdo",
        name="Quibdó Joven: empleabilidad y emprendimiento juvenil",
        description=(
            "Talleres de habilidades para el empleo, apoyo a emprendimientos juveniles y "
            "enlace con empresas locales para jóvenes de barrios priorizados de Quibdó."
        ),
        indicators=("long_term_unemployment", "informal_work"),
        populations=("juventud",),
        approaches=("etnico_narp", "victimas", "genero"),
        channels=("presencial", "feria"),
        scope="person",
        minimum_age=18,
        maximum_age=28,
        rule=(
            'municipality_code == "27001" && person.age >= 18 && person.age <= 28 && '
            'person.activity != "employed"'
        ),
        rule_description="Jóvenes de 18 a 28 años de Quibdó sin empleo.",
        legal_basis="Ley Estatutaria 1622 de 2013 (Estatuto de Ciudadanía Juvenil).",
        application_process="Inscripción en la oficina de juventud de la alcaldía.",
        documents=(DOC_ID,),
        areas=("27001",),
        places={"27001": 400},
    ),
    DemoOffer(
        key="alcaldia_quibdo_mejoramiento",
        organization="alcaldia_quibdo",
        name="Mejoramiento de vivienda en barrios de la ribera del Atrato",
        description=(
            "Mejoramiento de paredes, techos y pisos en viviendas palafíticas y de madera de "
            "barrios priorizados de Quibdó, con cofinanciación municipal."
        ),
        indicators=("inadequate_walls", "inadequate_floors"),
        populations=("hogares", "jefatura_femenina"),
        approaches=("etnico_narp", "victimas"),
        channels=("presencial",),
        rule=(
            'municipality_code == "27001" && (deprived_inadequate_walls || '
            "deprived_inadequate_floors) && sisben_rank <= 12"
        ),
        rule_description=(
            "Hogares de Quibdó en los grupos A o B del Sisbén IV con paredes o pisos inadecuados."
        ),
        legal_basis="",
        application_process="Postulación en la secretaría de vivienda municipal.",
        documents=(DOC_ID_MEMBERS, DOC_PROPERTY),
        areas=("27001",),
        places={"27001": 150},
        status="temporarily closed",
        alert="Postulaciones suspendidas hasta la adición presupuestal de 2026.",
    ),
    DemoOffer(
        key="alcaldia_riohacha_cuidado",
        organization="alcaldia_riohacha",
        name="Centro de cuidado para personas con discapacidad y sus cuidadoras",
        description=(
            "Atención diurna, rehabilitación básica y actividades de inclusión para personas con "
            "discapacidad, con respiro y formación para sus cuidadoras y cuidadores."
        ),
        indicators=("health_access_barriers", "long_term_unemployment"),
        populations=("mujeres", "hogares"),
        approaches=("discapacidad", "genero"),
        channels=("presencial",),
        rule='municipality_code == "44001" && members.exists(m, m.disability)',
        rule_description="Hogares de Riohacha con al menos una persona con discapacidad.",
        legal_basis="Ley Estatutaria 1618 de 2013.",
        application_process="Inscripción en la secretaría de desarrollo social de la alcaldía.",
        documents=(DOC_ID_MEMBERS, "Certificado de discapacidad"),
        areas=("44001",),
        places={"44001": 120},
    ),
)
